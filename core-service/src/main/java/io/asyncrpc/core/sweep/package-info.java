/** The deadline and lease sweeps, run by every core instance; the database keeps them apart. */
package io.asyncrpc.core.sweep;
