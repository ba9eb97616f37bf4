package dev.unidler.admin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.unidler.access.AccessProperties;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;

/**
 * Slows down guessing: after a few failed authentications from one client address within
 * a minute, each further failure is answered after a delay that doubles, up to ten
 * seconds. Memory is bounded: past a cap, the oldest picture is dropped wholesale.
 */
@Component
public final class FailedAuthentications {

	private static final Duration WINDOW = Duration.ofMinutes(1);

	private static final Duration FIRST_DELAY = Duration.ofMillis(250);

	private static final Duration MAX_DELAY = Duration.ofSeconds(10);

	private static final int MAX_CLIENTS = 10_000;

	private final int allowed;

	private final Map<String, Window> clients = new ConcurrentHashMap<>();

	FailedAuthentications(AccessProperties properties) {
		this.allowed = properties.failuresBeforeDelay();
	}

	/**
	 * Records a failure.
	 * @param client the client's address
	 * @return how long to wait before answering it
	 */
	public Duration failed(String client) {
		if (this.clients.size() >= MAX_CLIENTS) {
			this.clients.clear();
		}
		long now = Schedulers.parallel().now(TimeUnit.MILLISECONDS);
		Window window = this.clients.compute(client,
				(key, previous) -> (previous == null || now - previous.start() > WINDOW.toMillis()) ? new Window(now, 1)
						: new Window(previous.start(), previous.failures() + 1));
		int over = window.failures() - this.allowed;
		if (over <= 0) {
			return Duration.ZERO;
		}
		long delay = FIRST_DELAY.toMillis() << Math.min(over - 1, 10);
		return Duration.ofMillis(Math.min(delay, MAX_DELAY.toMillis()));
	}

	private record Window(long start, int failures) {

	}

}
