/** Work the service repeats in the background with a fixed delay between runs. */
@NullMarked
package io.asyncrpc.api.schedule;

import org.jspecify.annotations.NullMarked;
