/** End-to-end tests that run the packaged services and device agents as separate processes. */
package io.asyncrpc.systemtests;
