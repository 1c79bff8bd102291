package io.asyncrpc.mcp.resource;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What an agent reads before it sends work to devices: the device protocol ({@code
 * docs/protocol.md}) and the method codes the demo agent and firmware implement (the table in
 * {@code device-agent/README.md}). The build copies both files into the jar, so they are served as
 * the repository has them, never kept twice by hand.
 */
@Component
final class ProtocolResources {

  static final String PROTOCOL_URI = "iot://protocol/device-protocol";
  static final String METHOD_CODES_URI = "iot://protocol/method-codes";
  static final String MARKDOWN = "text/markdown";

  private static final String METHOD_CODES_HEADING = "Demo method codes:";

  ProtocolResources(McpSyncServer server) {
    String protocol = read("mcp/protocol.md");
    String methodCodes = methodCodes(read("mcp/device-agent/README.md"));
    server.addResource(
        resource(
            PROTOCOL_URI,
            "device-protocol",
            "The device protocol over MQTT 5 (v1 and v2): topics, properties, task flow, error"
                + " codes. What a device does with a task.",
            protocol));
    server.addResource(
        resource(
            METHOD_CODES_URI,
            "method-codes",
            "The method codes the demo device agent, the simulated devices and the ESP32"
                + " firmware implement (echo, sleep, fail, sum, progress), with payloads and"
                + " results.",
            methodCodes));
  }

  /** The method code table of the agent's README, with its heading. */
  static String methodCodes(String readme) {
    int start = readme.indexOf(METHOD_CODES_HEADING);
    if (start < 0) {
      throw new IllegalStateException(
          "device-agent/README.md has no '" + METHOD_CODES_HEADING + "'");
    }
    int table = readme.indexOf('|', start);
    int end = readme.indexOf("\n\n", table);
    return "# Demo method codes\n\n"
        + "A device answers with an HTTP-like status_code: 200-299 ends the task DONE, 400-599 FAILED.\n\n"
        + readme.substring(table, end < 0 ? readme.length() : end).strip()
        + "\n";
  }

  private static SyncResourceSpecification resource(
      String uri, String name, String description, String text) {
    Resource resource =
        Resource.builder(uri, name).description(description).mimeType(MARKDOWN).build();
    return new SyncResourceSpecification(
        resource,
        (exchange, request) ->
            ReadResourceResult.builder(
                    List.of(TextResourceContents.builder(uri, text).mimeType(MARKDOWN).build()))
                .build());
  }

  static String read(String path) {
    try (InputStream in = ProtocolResources.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the classpath: build the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
