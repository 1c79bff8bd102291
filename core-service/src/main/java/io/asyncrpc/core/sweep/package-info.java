/** The deadline and lease sweeps, run by every core instance; the database keeps them apart. */
@NullMarked
package io.asyncrpc.core.sweep;

import org.jspecify.annotations.NullMarked;
