package dev.vae.api.likelihood;

import dev.vae.api.Shape;

/**
 * A trainable parameter a plugin owns besides the networks (e.g. a learned log-sigma per data
 * dimension): the model creates it with this name, shape and initial value and passes it back
 * through {@link DecoderOutput#own(String)}.
 */
public record ParameterSpec(String name, Shape shape, double initialValue) {}
