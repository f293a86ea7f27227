/**
 * Objective quality metrics for comparing a processed signal with its clean reference.
 *
 * <p>All metrics are pure static functions of two equally long {@code float[]} signals (mono,
 * full scale at ±1.0, although every metric here is independent of the overall level); the
 * reference always comes first. Lengths that differ are rejected with an
 * {@link IllegalArgumentException} that names both. Results are in dB except STOI, which is a
 * correlation in [−1, 1] (in practice [0, 1]).
 */
package dev.denoise.core.metrics;
