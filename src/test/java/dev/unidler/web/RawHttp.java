package dev.unidler.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client sends: two {@code Host}
 * headers, a port out of range, a header that does not parse. Each request gets its own
 * connection, closed after the response head (event streams) or body.
 */
final class RawHttp {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private RawHttp() {
	}

	/**
	 * Builds a request: {@code Connection: close} is added.
	 * @param method the method
	 * @param target the request target
	 * @param headers header lines, {@code "Name: value"}, sent as given and in order
	 * @return the request's bytes as a string
	 */
	static String request(String method, String target, List<String> headers) {
		return request(method, target, headers, "");
	}

	/**
	 * Builds a request with a body: {@code Content-Length} and {@code Connection: close}
	 * are added.
	 * @param method the method
	 * @param target the request target
	 * @param headers header lines, {@code "Name: value"}, sent as given and in order
	 * @param body the body (ASCII), or an empty string for none
	 * @return the request's bytes as a string
	 */
	static String request(String method, String target, List<String> headers, String body) {
		StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		headers.forEach((header) -> request.append(header).append("\r\n"));
		if (!body.isEmpty()) {
			request.append("Content-Length: ").append(body.length()).append("\r\n");
		}
		return request.append("Connection: close\r\n\r\n").append(body).toString();
	}

	/**
	 * Sends a request on a new connection and reads the answer.
	 * @param port the unidler's port on 127.0.0.1
	 * @param request the request, as {@link #request} builds it
	 * @return the response
	 */
	static Response send(int port, String request) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			String head = readHead(in);
			Response response = Response.parse(head);
			if (request.startsWith("HEAD ") || response.header("content-type").startsWith("text/event-stream")) {
				return response;
			}
			return response.withBody(readToEnd(in));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No answer to " + request.lines().findFirst().orElse(""), ex);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < end.length) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("Connection closed after " + head.size() + " bytes: " + head);
			}
			head.write(b);
			matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	private static String readToEnd(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		try {
			in.transferTo(body);
		}
		catch (SocketTimeoutException ex) {
			throw new IOException("The body did not end within " + TIMEOUT + ": " + body, ex);
		}
		return body.toString(StandardCharsets.UTF_8);
	}

	/**
	 * @param status the status code
	 * @param headers the headers, names lower-cased
	 * @param body the body as sent (chunk sizes included), empty for HEAD and streams
	 */
	record Response(int status, Map<String, List<String>> headers, String body) {

		static Response parse(String head) {
			List<String> lines = head.lines().toList();
			String[] statusLine = lines.get(0).split(" ", 3);
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (String line : lines.subList(1, lines.size())) {
				int colon = line.indexOf(':');
				if (colon > 0) {
					headers
						.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
								(name) -> new ArrayList<>())
						.add(line.substring(colon + 1).strip());
				}
			}
			return new Response(Integer.parseInt(statusLine[1]), headers, "");
		}

		Response withBody(String body) {
			return new Response(this.status, this.headers, body);
		}

		/** The first value of a header, or an empty string. */
		String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null) ? values.get(0) : "";
		}

		@Nullable String retryAfter() {
			List<String> values = this.headers.get("retry-after");
			return (values != null) ? values.get(0) : null;
		}

		@Override
		public String toString() {
			return this.status + " " + this.headers + " " + this.body;
		}

	}

}
