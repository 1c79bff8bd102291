/**
 * Fault-injection suite: runs the packaged services on private infrastructure under load, injects
 * faults and checks the recorded histories against the core's promises.
 */
@NullMarked
package io.asyncrpc.reliability;

import org.jspecify.annotations.NullMarked;
