/** Command line of the swarm simulator, with a live table of what the swarm does. */
@NullMarked
package io.asyncrpc.swarm.cli;

import org.jspecify.annotations.NullMarked;
