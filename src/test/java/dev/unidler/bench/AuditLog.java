package dev.unidler.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API requests of one user, read from the API server's audit log.
 * <p>
 * Why the audit log and not the API server's {@code apiserver_request_total}: that metric
 * counts every client together, and during a wake the controller-manager, the scheduler
 * and KWOK make many more requests than the unidler. The audit log names the user of each
 * request; {@code scripts/cluster.sh} logs every request (reads and watches too) of the
 * ServiceAccounts of namespace {@code unidler-bench}, the identity the benchmark gives
 * its unidler. The log is written before the response is sent (blocking mode), so a
 * request that has been answered is in it.
 *
 * @param file the audit log
 * @param user the user name whose requests count
 */
record AuditLog(Path file, String user) {

	/** Where the log ends now: requests after this mark are what {@link #since} reads. */
	long mark() {
		try {
			return Files.exists(this.file) ? Files.size(this.file) : 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The user's requests logged since a mark, each once.
	 * @param mark a value of {@link #mark()}
	 * @return the requests
	 */
	ApiRequests since(long mark) {
		List<ApiRequests.ApiRequest> requests = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		String quotedUser = "\"" + this.user + "\"";
		JsonMapper mapper = JsonMapper.shared();
		for (String line : linesSince(mark)) {
			// Most lines are other clients' writes: skip them without parsing.
			if (!line.contains(quotedUser)) {
				continue;
			}
			JsonNode event = mapper.readTree(line);
			if (!this.user.equals(event.path("user").path("username").asString(""))
					|| !seen.add(event.path("auditID").asString(""))) {
				continue;
			}
			JsonNode ref = event.path("objectRef");
			String resource = ref.path("resource").asString("");
			String group = ref.path("apiGroup").asString("");
			String subresource = ref.path("subresource").asString("");
			requests.add(new ApiRequests.ApiRequest(event.path("verb").asString(""), resource
					+ (group.isEmpty() ? "" : "." + group) + (subresource.isEmpty() ? "" : "/" + subresource)));
		}
		return new ApiRequests(requests);
	}

	/** The complete lines written after the mark (the last one may still be written). */
	private List<String> linesSince(long mark) {
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.READ)) {
			long size = channel.size();
			if (size <= mark) {
				return List.of();
			}
			long length = size - mark;
			if (length > Integer.MAX_VALUE - 16) {
				throw new IllegalStateException("The audit log grew by " + length + " bytes in one window");
			}
			ByteBuffer buffer = ByteBuffer.allocate((int) length);
			while (buffer.hasRemaining() && channel.read(buffer, mark + buffer.position()) > 0) {
				// read until full
			}
			String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
			int end = text.lastIndexOf('\n');
			return (end < 0) ? List.of() : List.of(text.substring(0, end).split("\n"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
