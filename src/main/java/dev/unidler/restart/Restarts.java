package dev.unidler.restart;

import java.util.HashMap;
import java.util.Map;

import dev.unidler.operation.Operation;
import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.Operations;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The restarts of this instance, coalesced per workload: at most one rolling and one
 * waiting to follow it. A caller joins the run that will cover its request: the running
 * one while it has not yet changed the pod template, otherwise the one that follows,
 * which starts when the running one ends. So a burst of restarts costs at most two
 * rollouts, and every caller's answer is the outcome of a rollout that began after it
 * asked.
 */
@Component
public final class Restarts {

	private final RestartLocator locator;

	private final RestartPipeline pipeline;

	private final RestartProperties settings;

	/** Guarded by itself; every critical section is a few map operations, never I/O. */
	private final Map<WorkloadRef, Slot> slots = new HashMap<>();

	Restarts(RestartLocator locator, RestartPipeline pipeline, RestartProperties settings) {
		this.locator = locator;
		this.pipeline = pipeline;
		this.settings = settings;
	}

	/**
	 * Asks for a restart.
	 * @param target what to restart
	 * @param reason why, recorded verbatim; the default reason when blank
	 * @param requestedBy who asks (a token name), for the log
	 * @return the restart that covers this request, started or about to start; or an
	 * {@link dev.unidler.operation.OperationFailure} when the app is unknown, ambiguous
	 * or idled
	 */
	public Mono<Operation> request(RestartTarget target, @Nullable String reason, String requestedBy) {
		String why = (reason == null || reason.isBlank()) ? this.settings.defaultReason() : reason;
		return this.locator.locate(target).map((workload) -> join(workload, why, requestedBy));
	}

	/**
	 * Whether an event says Kubernetes has been asked for new pods: the restart is under
	 * way.
	 */
	public static boolean isUnderWay(OperationEvent event) {
		return RequestRestartStep.NAME.equals(event.step()) && event.state() == OperationEvent.StepState.DONE;
	}

	/**
	 * The workload a request names, idled or not: who may restart it is decided before a
	 * caller learns anything more about it.
	 */
	public Mono<Workload> find(RestartTarget target) {
		return this.locator.find(target);
	}

	private Operation join(Workload workload, String reason, String requestedBy) {
		Operation start = null;
		Operation joined;
		synchronized (this.slots) {
			Slot slot = this.slots.computeIfAbsent(workload.ref(), (ref) -> new Slot());
			if (slot.running == null) {
				slot.running = newRun(workload, reason, requestedBy);
				start = slot.running;
				joined = slot.running;
			}
			else if (!slot.runningBegun) {
				joined = slot.running;
			}
			else {
				if (slot.pending == null) {
					slot.pending = newRun(workload, reason, requestedBy);
				}
				joined = slot.pending;
			}
		}
		if (start != null) {
			start.start();
		}
		return joined;
	}

	private Operation newRun(Workload workload, String reason, String requestedBy) {
		WorkloadRef ref = workload.ref();
		Operation[] self = new Operation[1];
		String id = Operations.newId();
		self[0] = new Operation(id,
				this.pipeline.run(id, workload, reason, requestedBy).doOnNext((event) -> begun(ref, self[0], event)),
				(ended) -> ended(ref, ended));
		return self[0];
	}

	/**
	 * Once a run changes the pod template, later requests need a rollout of their own.
	 */
	private void begun(WorkloadRef ref, Operation run, OperationEvent event) {
		if (RequestRestartStep.NAME.equals(event.step())) {
			synchronized (this.slots) {
				Slot slot = this.slots.get(ref);
				if (slot != null && slot.running == run) {
					slot.runningBegun = true;
				}
			}
		}
	}

	private void ended(WorkloadRef ref, Operation run) {
		Operation next = null;
		synchronized (this.slots) {
			Slot slot = this.slots.get(ref);
			if (slot == null || slot.running != run) {
				return;
			}
			if (slot.pending != null) {
				slot.running = slot.pending;
				slot.runningBegun = false;
				slot.pending = null;
				next = slot.running;
			}
			else {
				this.slots.remove(ref);
			}
		}
		if (next != null) {
			next.start();
		}
	}

	private static final class Slot {

		private @Nullable Operation running;

		private boolean runningBegun;

		private @Nullable Operation pending;

	}

}
