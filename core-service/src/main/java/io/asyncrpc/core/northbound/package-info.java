/** The service side: task events from api-service ({@code iot.tasks}) that trigger devices. */
package io.asyncrpc.core.northbound;
