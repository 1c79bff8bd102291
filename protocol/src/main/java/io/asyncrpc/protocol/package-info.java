/**
 * Device protocol v1: the MQTT 5 wire contract between devices and the core.
 *
 * <p>Topic grammar (device id {@code <SN>} = certificate CN = MQTT client id):
 *
 * <pre>{@code
 * srv/<SN>/tsk   core -> device   trigger: a task is waiting
 * dev/<SN>/ack   device -> core   optional ack of a trigger (task -> PENDING)
 * dev/<SN>/req   device -> core   request a task id, or the zero UUID for the head of the FIFO
 * srv/<SN>/rsp   core -> device   the task with its payload, or status_code 204: no task
 * dev/<SN>/res   device -> core   the result, user property status_code
 * srv/<SN>/cmt   core -> device   the result is stored, user property result_id
 * srv/<SN>/err   core -> device   typed error answer, user property error_code
 * }</pre>
 *
 * <p>On RabbitMQ the MQTT topic {@code a/b/c} is the routing key {@code a.b.c} on {@code
 * amq.topic}.
 */
@NullMarked
package io.asyncrpc.protocol;

import org.jspecify.annotations.NullMarked;
