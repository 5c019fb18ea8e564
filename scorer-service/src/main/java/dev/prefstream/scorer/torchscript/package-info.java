/**
 * Scorers backed by real reward models exported to TorchScript and run through DJL's PyTorch
 * engine: embedding similarity (CLIP score, PickScore, HPS) and image-only heads (the LAION
 * aesthetic predictor). A {@link dev.prefstream.scorer.torchscript.ScorerDescriptor} names the
 * model files with their SHA-256, each checked before the file is loaded. The factories load the
 * models once; each worker thread's scorer gets its own predictors.
 */
package dev.prefstream.scorer.torchscript;
