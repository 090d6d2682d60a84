/**
 * The run around a model: its directory (checked before any work starts), the checkpoint a resume
 * continues from, the options that shaped it (recorded, and compared on resume), and its per-epoch
 * metrics, cut back to the checkpoint a resume continues from. Every training command uses it.
 */
package dev.vae.core.run;
