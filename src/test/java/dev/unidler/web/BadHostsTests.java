package dev.unidler.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class BadHostsTests {

	private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

	private final BadHosts badHosts = new BadHosts(this.nanos::get);

	@Test
	void aFloodOfBadHostsIsCountedAndSummarisedNotLoggedOneByOne(CapturedOutput output) {
		for (int i = 0; i < 1000; i++) {
			this.badHosts.refused("not a DNS name");
		}
		this.nanos.addAndGet(BadHosts.SUMMARY_INTERVAL.toNanos());
		this.badHosts.refused("several Host headers");

		assertThat(this.badHosts.total()).isEqualTo(1001);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.getOut())
				.contains("Refused 1000 request(s) with a bad Host header since the last report "
						+ "(latest: several Host headers); 1001 in all"));
		// The two reports are written off the event loop, in either order.
		assertThat(output.getOut().lines().filter((line) -> line.contains("bad Host header"))).hasSize(2)
			.anyMatch((line) -> line.contains("Refused 1 request(s)"));
	}

}
