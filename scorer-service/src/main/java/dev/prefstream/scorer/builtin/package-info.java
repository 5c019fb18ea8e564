/**
 * Built-in scorers computed from pixels (and the prompt's colour words) in plain Java: no weights,
 * no native code, cheap enough to run on every image of every vote. Each measures one visible
 * property and misses the rest; the class javadocs say what.
 */
package dev.prefstream.scorer.builtin;
