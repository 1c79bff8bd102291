/**
 * Steady load for a fault run: a control-center client creating tasks over REST and logging every
 * {@code 202}, and the devices' logs of what they received and sent.
 */
@NullMarked
package io.asyncrpc.reliability.load;

import org.jspecify.annotations.NullMarked;
