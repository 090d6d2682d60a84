/**
 * Host-side data: in-memory float32 tables ({@link dev.vae.core.data.DataSet}), seeded batching
 * and binarisation ({@link dev.vae.core.data.Batches}, {@link dev.vae.core.data.Binarization}),
 * readers for MNIST's IDX files and for CSV tables, where to find MNIST on disk, and synthetic
 * data sets whose properties are known in closed form.
 *
 * <p>Every random choice here (splits, shuffles, Bernoulli draws, synthetic samples) comes from
 * the framework's one random stream through an explicit {@link dev.vae.api.Rng} or seed, so the
 * same seed gives the same data on every machine, and a resumed run sees the same batches.
 */
package dev.vae.core.data;
