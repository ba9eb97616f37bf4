package dev.unidler.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.OperationEvent.Kind;
import dev.unidler.operation.OperationEvent.StepState;
import dev.unidler.operation.OperationKind;
import dev.unidler.operation.OperationListener;
import dev.unidler.operation.OperationSubject;
import dev.unidler.operation.StepDescription;
import dev.unidler.wake.WakeSteps;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * Operations as metrics, from what every run tells its listeners: how many of each kind
 * ended how, why those that failed did, how long they took, how long each phase of a wake
 * took, and how many run now.
 * <p>
 * Only runs count: a refused request (no token, an app that did not opt in) never starts
 * one, so it is never counted as an operation. A run that found its app already as asked
 * (a wake of an awake app, as a request that reached the unidler while routes settle
 * does; an idle of an idled one) ends {@code unchanged}, not {@code ready}, so that "apps
 * woken" means apps woken.
 * <p>
 * Every series exists from the start at zero, so {@code rate()} and {@code increase()}
 * see the first operation. Called on event loops: it only updates meters in memory.
 */
@Component
final class OperationMetrics implements OperationListener {

	static final String OPERATIONS = "unidler.operations";

	static final String FAILURES = "unidler.operation.failures";

	static final String DURATION = "unidler.operation.duration";

	static final String RUNNING = "unidler.operations.running";

	static final String WAKE_PHASES = "unidler.wake.phase.duration";

	/** How an operation ended: the values of the {@code outcome} label. */
	static final List<String> OUTCOMES = List.of("ready", "unchanged", "failure", "abandoned");

	/** Stopped at shutdown, without an end: it has no duration. */
	private static final String ABANDONED = "abandoned";

	/** From a tenth of a second to the longest deadline worth having. */
	static final Duration[] BUCKETS = { Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
			Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
			Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
			Duration.ofSeconds(300), Duration.ofSeconds(600) };

	private final MeterRegistry registry;

	/** The wake's steps, in order: the values of the {@code phase} label. */
	private final Set<String> phases;

	private final Map<OperationKind, AtomicInteger> running = new EnumMap<>(OperationKind.class);

	/** The runs under way, by id: what they have shown so far. */
	private final Map<String, Run> runs = new ConcurrentHashMap<>();

	OperationMetrics(MeterRegistry registry, WakeSteps wakeSteps) {
		this.registry = registry;
		this.phases = Set.copyOf(wakeSteps.describe().stream().map(StepDescription::name).toList());
		for (OperationKind kind : OperationKind.values()) {
			AtomicInteger count = new AtomicInteger();
			this.running.put(kind, count);
			Gauge.builder(RUNNING, count, AtomicInteger::get)
				.description("Operations running in this instance now")
				.tag("kind", kind.id())
				.register(registry);
			for (String outcome : OUTCOMES) {
				operations(kind, outcome);
				if (!outcome.equals(ABANDONED)) {
					duration(kind, outcome);
				}
			}
			for (FailureReason reason : FailureReason.values()) {
				failures(kind, reason);
			}
		}
		this.phases.forEach(this::phase);
	}

	@Override
	public void started(OperationSubject subject) {
		this.runs.computeIfAbsent(subject.id(), (id) -> {
			this.running.get(subject.kind()).incrementAndGet();
			return new Run();
		});
	}

	@Override
	public void event(OperationSubject subject, OperationEvent event) {
		Run run = this.runs.get(subject.id());
		if (run == null) {
			// Ended already, or began before this listener knew of it: nothing to add.
			return;
		}
		if (!event.isTerminal()) {
			progress(subject, run, event);
			return;
		}
		String outcome = outcome(run, event);
		ended(subject, run, outcome);
		duration(subject.kind(), outcome).record(Duration.ofMillis(event.elapsedMillis()));
		FailureReason reason = event.failure();
		if (event.kind() == Kind.FAILURE && reason != null) {
			failures(subject.kind(), reason).increment();
		}
	}

	@Override
	public void abandoned(OperationSubject subject) {
		Run run = this.runs.get(subject.id());
		if (run != null) {
			ended(subject, run, ABANDONED);
		}
	}

	private void progress(OperationSubject subject, Run run, OperationEvent event) {
		if (!event.step().equals(StepDescription.LOCATE.name())) {
			run.changing = true;
		}
		if (subject.kind() == OperationKind.WAKE && event.state() == StepState.DONE
				&& this.phases.contains(event.step()) && run.phasesDone.add(event.step())) {
			// From the end of the step before (or the wake's start) to the end of this
			// one: the phases of a wake add up to its duration.
			phase(event.step()).record(Duration.ofMillis(Math.max(0, event.elapsedMillis() - run.lastDoneMillis)));
			run.lastDoneMillis = event.elapsedMillis();
		}
	}

	private void ended(OperationSubject subject, Run run, String outcome) {
		if (this.runs.remove(subject.id(), run)) {
			this.running.get(subject.kind()).decrementAndGet();
			operations(subject.kind(), outcome).increment();
		}
	}

	private static String outcome(Run run, OperationEvent end) {
		if (end.kind() == Kind.FAILURE) {
			return "failure";
		}
		return run.changing ? "ready" : "unchanged";
	}

	/** {@code unknown-app}, as the events' {@code reason} says it. */
	static String reason(FailureReason reason) {
		return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private Counter operations(OperationKind kind, String outcome) {
		return Counter.builder(OPERATIONS)
			.description("Operations that ended, by kind and outcome")
			.tag("kind", kind.id())
			.tag("outcome", outcome)
			.register(this.registry);
	}

	private Counter failures(OperationKind kind, FailureReason reason) {
		return Counter.builder(FAILURES)
			.description("Operations that failed, by kind and reason")
			.tag("kind", kind.id())
			.tag("reason", reason(reason))
			.register(this.registry);
	}

	private Timer duration(OperationKind kind, String outcome) {
		return Timer.builder(DURATION)
			.description("How long operations took from start to end, by kind and outcome")
			.tag("kind", kind.id())
			.tag("outcome", outcome)
			.serviceLevelObjectives(BUCKETS)
			.register(this.registry);
	}

	private Timer phase(String step) {
		return Timer.builder(WAKE_PHASES)
			.description("How long each phase of a wake took: from the end of the step before to the end of this one")
			.tag("phase", step)
			.serviceLevelObjectives(BUCKETS)
			.register(this.registry);
	}

	/** What a run has shown so far; each run's events come one at a time, in order. */
	private static final class Run {

		/** Whether it went past finding its app: it set out to change something. */
		volatile boolean changing;

		volatile long lastDoneMillis;

		final Set<String> phasesDone = ConcurrentHashMap.newKeySet();

	}

}
