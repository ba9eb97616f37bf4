package dev.unidler.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browsers keep their connections open and send the next request as soon as the last
 * answer is in. At the start of a wake the first answers come from another thread than
 * the connection's (they wait for the wake to find its app), and the next ones at once:
 * with Reactor Netty before 1.3.8 that order could leave a connection unread for good
 * (reactor/reactor-netty#4361), and a browser waited for an answer that never came. Each
 * round is a new app, so every round is the start of a wake.
 */
@RealCluster
class KeepAliveTests {

	private static final int BROWSERS = 10;

	private static final int ROUNDS = 8;

	private static final Duration ROUND = Duration.ofSeconds(1);

	/** Far longer than any answer of the unidler takes. */
	private static final int ANSWER_TIMEOUT_MILLIS = 5_000;

	private static UnidlerServer server;

	@BeforeAll
	static void startUnidler(TestCluster cluster) {
		server = UnidlerServer.start(cluster, Map.of("unidler.wake.unschedulable-grace", "10m"));
	}

	@AfterAll
	static void stopUnidler() {
		server.close();
	}

	@Test
	void everyRequestOnAKeptConnectionIsAnsweredAtTheStartOfAWake(TestNamespace ns) throws Exception {
		ExecutorService browsers = Executors.newFixedThreadPool(BROWSERS);
		try {
			for (int round = 0; round < ROUNDS; round++) {
				// Slow and fast apps alike: both answer their first requests late.
				IdledApp app = ns.createIdledApp(IdledAppSpec.named("keep-" + round)
					.host(ns.host("keep-" + round))
					.unschedulable(round % 2 == 0));
				List<Future<Integer>> answered = new ArrayList<>();
				for (int browser = 0; browser < BROWSERS; browser++) {
					answered.add(browsers.submit(() -> askRepeatedly(app.host())));
				}
				for (Future<Integer> answers : answered) {
					assertThat(answers.get()).as("answers on one connection for %s", app.host()).isPositive();
				}
			}
		}
		finally {
			browsers.shutdownNow();
		}
	}

	/**
	 * One browser: one connection, a page request as soon as the last answer is in, for a
	 * round's time.
	 * @return how many answers it got; a request without an answer fails the test
	 */
	private static int askRepeatedly(String host) throws IOException {
		long end = System.nanoTime() + ROUND.toNanos();
		int answers = 0;
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
			socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			while (System.nanoTime() < end) {
				out.write(("GET /some/page?n=" + answers + " HTTP/1.1\r\nHost: " + host
						+ "\r\nAccept: text/html\r\nConnection: keep-alive\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				int status = readResponse(in);
				assertThat(status).as("request %d on a kept connection to %s", answers + 1, host).isIn(200, 404);
				answers++;
			}
		}
		return answers;
	}

	/**
	 * Reads one response whose length is given, and returns its status; a read that times
	 * out says how far the answer got.
	 */
	private static int readResponse(InputStream in) throws IOException {
		String head = readHead(in);
		int status = Integer.parseInt(head.substring(9, 12));
		int length = 0;
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring("content-length:".length()).strip());
			}
		}
		byte[] body = new byte[length];
		int read = 0;
		try {
			while (read < length) {
				int n = in.read(body, read, length - read);
				if (n < 0) {
					break;
				}
				read += n;
			}
		}
		catch (java.net.SocketTimeoutException ex) {
			throw new IOException("The body stopped after " + read + " of " + length + " bytes, after:\n" + head, ex);
		}
		return status;
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("The connection closed after: " + head.toString(StandardCharsets.US_ASCII));
			}
			head.write(b);
			matched = (b == ((matched % 2 == 0) ? '\r' : '\n')) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

}
