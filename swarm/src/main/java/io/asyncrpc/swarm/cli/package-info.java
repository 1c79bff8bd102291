/** Command line of the swarm simulator, with a live table of what the swarm does. */
package io.asyncrpc.swarm.cli;
