/**
 * The built-in world: a prompt grammar, a renderer of ideal images and their defects, a pixel-only
 * oracle of three quality dimensions (alignment, aesthetics, detail), and simulated voters whose
 * Bradley-Terry votes compress those dimensions into one noisy binary label with a known truth.
 *
 * <p>Everything here is pure Java and deterministic given its seeds.
 */
package dev.prefstream.sim.world;
