/**
 * Scorers backed by real reward models exported to TorchScript and run through DJL's PyTorch
 * engine: embedding similarity (CLIP score, PickScore, HPS) and image-only heads (the LAION
 * aesthetic predictor). Every model file's SHA-256 is checked against the descriptor before it is
 * loaded; a {@link dev.prefstream.scorer.torchscript.TorchScriptScorerFactory} loads the models once
 * and each worker thread's scorer gets its own predictors.
 */
package dev.prefstream.scorer.torchscript;
