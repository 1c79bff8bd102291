/** Work the service repeats in the background with a fixed delay between runs. */
package io.asyncrpc.api.schedule;
