/**
 * Device presence: {@code devices.online}/{@code connected_at} from RabbitMQ's connection events,
 * {@code last_seen_at} from every device message.
 *
 * <p>Found by trying it on RabbitMQ 4.0.5 with {@code rabbitmq_event_exchange}: an MQTT connection
 * publishes {@code connection.created} and {@code connection.closed} to {@code amq.rabbitmq.event}
 * (empty body, everything in headers). Both carry header {@code protocol} = {@code {'MQTT',{5,0}}}
 * (text; {@code {'MQTT',{3,1,1}}} etc. for older clients), {@code user} = the MQTT username (the
 * certificate CN under {@code ssl_cert_login}; the shared dev login otherwise), {@code
 * connected_at} = epoch milliseconds, {@code timestamp_in_ms}, {@code pid}, {@code name} = {@code
 * "peer:port -> local:port"} and {@code client_properties} = a list with one element, the Erlang
 * term text {@code {client_id,longstr,<<"SN-x42">>}}: the MQTT client id, which is the device id.
 * Unlike AMQP connections, an MQTT {@code connection.closed} carries the full set, including {@code
 * client_properties} and {@code connected_at}.
 */
@NullMarked
package io.asyncrpc.core.presence;

import org.jspecify.annotations.NullMarked;
