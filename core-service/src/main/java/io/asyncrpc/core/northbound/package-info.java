/** The service side: task events from api-service ({@code iot.tasks}) that trigger devices. */
@NullMarked
package io.asyncrpc.core.northbound;

import org.jspecify.annotations.NullMarked;
