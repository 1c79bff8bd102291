/**
 * The whole benchmark in one run ({@code scripts/bench}): the services started from their jars,
 * every measurement in order, the result file, the human report and its latency chart.
 */
@NullMarked
package io.asyncrpc.bench.report;

import org.jspecify.annotations.NullMarked;
