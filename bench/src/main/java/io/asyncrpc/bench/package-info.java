/**
 * Benchmarks that print figures beside a baseline measured in the same run; no benchmark asserts a
 * speed.
 */
package io.asyncrpc.bench;
