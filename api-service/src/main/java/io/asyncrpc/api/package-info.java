/** The northbound REST service: tasks, devices, the transactional outbox and problem+json. */
@NullMarked
package io.asyncrpc.api;

import org.jspecify.annotations.NullMarked;
