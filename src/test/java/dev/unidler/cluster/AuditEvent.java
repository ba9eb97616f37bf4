package dev.unidler.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One write recorded in the API server's audit log (the cluster logs create, update,
 * patch and delete requests at Metadata level, nothing else).
 *
 * @param verb create, update, patch or delete
 * @param user the user name of the client
 * @param apiGroup the resource's API group ({@code ""} for the core group)
 * @param resource the resource, e.g. {@code deployments}
 * @param subresource the subresource, e.g. {@code status}, or {@code null}
 * @param namespace the object's namespace, or {@code null}
 * @param name the object's name, or {@code null}
 * @param code the HTTP status of the response
 */
public record AuditEvent(String verb, String user, String apiGroup, String resource, String subresource,
		String namespace, String name, int code) {

	/**
	 * Reads the writes of an audit log.
	 * @param auditLog the log file (JSON lines)
	 * @return every logged request, in order; empty if the file does not exist yet
	 */
	public static List<AuditEvent> read(Path auditLog) {
		if (auditLog == null || !Files.exists(auditLog)) {
			return List.of();
		}
		JsonMapper mapper = JsonMapper.shared();
		try (Stream<String> lines = Files.lines(auditLog)) {
			return lines.filter((line) -> !line.isBlank()).map((line) -> {
				JsonNode event = mapper.readTree(line);
				JsonNode ref = event.path("objectRef");
				return new AuditEvent(text(event.path("verb")), text(event.path("user").path("username")),
						(text(ref.path("apiGroup")) != null) ? text(ref.path("apiGroup")) : "",
						text(ref.path("resource")), text(ref.path("subresource")), text(ref.path("namespace")),
						text(ref.path("name")), event.path("responseStatus").path("code").asInt(0));
			}).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String text(JsonNode node) {
		return (node.isMissingNode() || node.isNull()) ? null : node.asString();
	}

}
