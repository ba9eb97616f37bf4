package dev.unidler.notify;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import dev.unidler.access.WatchedFile;
import dev.unidler.notify.Payloads.Happened;
import dev.unidler.notify.WebhookTarget.EventType;
import dev.unidler.notify.WebhookTarget.Outcome;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationListener;
import dev.unidler.operation.OperationSubject;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Turns every operation's start, steps and end into deliveries for the targets that want
 * them. It is called on the operation's own thread (often an event loop), so all it does
 * is build the body and queue it; sending is the {@link WebhookQueues}' business.
 * <p>
 * The targets come from the targets file: read at start-up (a file that cannot be used
 * stops the start, saying why) and again whenever it changes; a changed file that cannot
 * be used is logged and the targets read before stay.
 * <p>
 * It closes its queues last in shutdown, as the context destroys its beans: after the web
 * server stopped and the operations ended or were abandoned, so what they told it, their
 * abandonment included, gets the shutdown grace to arrive.
 */
final class Webhooks implements OperationListener, SmartLifecycle, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(Webhooks.class);

	private final WebhookProperties properties;

	private final WatchedFile watched;

	private final Payloads payloads;

	private final WebhookQueues queues;

	private final Clock clock;

	private volatile List<WebhookTarget> targets;

	private volatile boolean running;

	Webhooks(WebhookProperties properties, Payloads payloads, WebhookQueues queues, Clock clock) {
		this.properties = properties;
		this.payloads = payloads;
		this.queues = queues;
		this.clock = clock;
		Path file = properties.targetsFile();
		this.watched = new WatchedFile(file, properties.reload());
		this.targets = (file != null && this.watched.exists()) ? WebhookTargets.read(file) : List.of();
		describe(file);
	}

	private void describe(@Nullable Path file) {
		if (file == null) {
			logger.info("Webhooks are off: no targets file (unidler.webhooks.targets-file)");
		}
		else if (!this.watched.exists()) {
			logger.warn("No webhook targets file at {} yet: no webhooks until it appears", file);
		}
		else {
			logger.info("Webhooks to {}", names(this.targets));
		}
	}

	/** The targets now, for tests. */
	List<WebhookTarget> targets() {
		return this.targets;
	}

	@Override
	public void started(OperationSubject subject) {
		deliver(new Happened(EventType.STARTED, subject, null, null, this.clock.instant()));
	}

	@Override
	public void event(OperationSubject subject, OperationEvent event) {
		Outcome outcome = switch (event.kind()) {
			case PROGRESS -> null;
			case READY -> Outcome.SUCCEEDED;
			case FAILURE -> Outcome.FAILED;
		};
		EventType type = (outcome != null) ? EventType.ENDED : EventType.STEP;
		deliver(new Happened(type, subject, event, outcome, this.clock.instant()));
	}

	@Override
	public void abandoned(OperationSubject subject) {
		deliver(new Happened(EventType.ENDED, subject, null, Outcome.ABANDONED, this.clock.instant()));
	}

	private void deliver(Happened happened) {
		for (WebhookTarget target : this.targets) {
			if (target.wants(happened.type(), happened.subject().kind(), happened.outcome())) {
				String id = deliveryId();
				this.queues.offer(new Delivery(id, happened.type().type(), target,
						this.payloads.body(id, happened, target.format())));
			}
		}
	}

	/**
	 * A random version-4 UUID from a non-blocking source: {@link UUID#randomUUID()} reads
	 * the OS's entropy, which may block, and this runs on event loops. The id only has to
	 * be unique, not unguessable: deliveries are authenticated by their signature.
	 */
	private static String deliveryId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

	@Override
	public void start() {
		this.watched.start(this::reload);
		this.running = true;
	}

	void reload(Path changed) {
		try {
			this.targets = WebhookTargets.read(changed);
			logger.info("Reloaded the webhook targets from {}: {}", changed, names(this.targets));
		}
		catch (RuntimeException ex) {
			logger.warn("Kept the webhook targets read before: {}", ex.getMessage());
		}
	}

	/** Looks at the targets file now, as the next tick would. */
	void reloadIfChanged() {
		this.watched.reloadIfChanged(this::reload);
	}

	@Override
	public void stop() {
		this.watched.stop();
		this.running = false;
	}

	/**
	 * Runs after every shutdown phase, once the operations still running were told to
	 * stop, so their abandonment is among what is delivered: waits (on the closing
	 * thread, never an event loop) up to the grace for what is pending, and logs each
	 * delivery left.
	 */
	@Override
	public void destroy() {
		Duration grace = this.properties.shutdownGrace();
		this.queues.close(grace).block(grace.plusSeconds(1));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static List<String> names(List<WebhookTarget> targets) {
		return targets.stream().map(WebhookTarget::name).toList();
	}

}
