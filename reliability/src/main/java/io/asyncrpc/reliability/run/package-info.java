/**
 * A fault run: the system under test on the suite's private infrastructure, the faults, the plan of
 * which faults to inject how often, and the report.
 */
@NullMarked
package io.asyncrpc.reliability.run;

import org.jspecify.annotations.NullMarked;
