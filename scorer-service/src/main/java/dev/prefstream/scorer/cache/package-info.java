/**
 * The score cache: scores keyed by (image digest, prompt, scorer name and version), so an image
 * voted on many times is scored once per scorer version.
 */
package dev.prefstream.scorer.cache;
