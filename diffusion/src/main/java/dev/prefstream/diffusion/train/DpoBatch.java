package dev.prefstream.diffusion.train;

import ai.djl.ndarray.NDArray;

/**
 * The model inputs of one Diffusion-DPO step for B pairs: rows 0..B-1 are the winners, rows B..2B-1
 * the losers. Pair i's winner and loser are noised with the same {@code noise[i]} at the same
 * {@code timesteps[i]} and carry the same tokens (caption dropout included).
 */
record DpoBatch(int[] timesteps, NDArray noise, NDArray inputs, NDArray times, NDArray tokens,
    NDArray targets) {}
