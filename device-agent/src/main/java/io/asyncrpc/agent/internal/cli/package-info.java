/** The runnable device agent: command-line options, demo handlers and console output. */
package io.asyncrpc.agent.internal.cli;
