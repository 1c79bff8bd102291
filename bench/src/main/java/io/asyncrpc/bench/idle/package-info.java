/**
 * The broker's idle cost: its CPU with thousands of connected devices that send nothing, on a
 * private node started with each variant of the settings in turn.
 */
@NullMarked
package io.asyncrpc.bench.idle;

import org.jspecify.annotations.NullMarked;
