/**
 * Runs this repository's packaged jars (the services, the agent's CLI) as processes of their own,
 * as they are deployed: one jar rule, one launcher, for the benchmarks, the fault suite and the
 * end-to-end tests.
 */
@NullMarked
package io.asyncrpc.testsupport.process;

import org.jspecify.annotations.NullMarked;
