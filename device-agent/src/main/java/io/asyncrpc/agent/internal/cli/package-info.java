/** The runnable device agent: command-line options, demo handlers and console output. */
@NullMarked
package io.asyncrpc.agent.internal.cli;

import org.jspecify.annotations.NullMarked;
