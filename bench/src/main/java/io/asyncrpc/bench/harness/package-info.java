/**
 * What every benchmark of the suite stands on: the packaged services as processes, the REST API as
 * a control-center client sees it, the broker's management API, latency summaries and the facts of
 * the machine a run measured.
 */
@NullMarked
package io.asyncrpc.bench.harness;

import org.jspecify.annotations.NullMarked;
