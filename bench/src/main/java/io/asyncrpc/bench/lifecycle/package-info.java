/**
 * Full task lifecycles through the running services and a swarm of simulated devices, device
 * protocol v1 (POST → {@code tsk} → {@code req} → {@code rsp} → {@code res} → {@code cmt} → DONE)
 * and v2 (POST → pushed {@code rsp} → {@code res} → {@code cmt} → DONE), at the highest rate the
 * box sustains and at fractions of it, with the CPU per lifecycle of every process and the idle
 * memory a connected device costs.
 */
@NullMarked
package io.asyncrpc.bench.lifecycle;

import org.jspecify.annotations.NullMarked;
