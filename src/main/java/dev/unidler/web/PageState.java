package dev.unidler.web;

import java.util.ArrayList;
import java.util.List;

import dev.unidler.operation.OperationEvent;
import dev.unidler.operation.StepDescription;
import org.jspecify.annotations.Nullable;

/**
 * What the waiting page shows when it is rendered: the wake as far as it has gone. A page
 * rendered after the wake ended acts on the outcome at once, without a stream: by then
 * the app may already answer for its host, and the stream with it.
 *
 * @param state {@code waking}, {@code ready} or {@code failed}
 * @param failure the failure's message, on {@code failed} only
 * @param reason the failure's reason as events name it, on {@code failed} only
 * @param steps every step with its state
 */
record PageState(String state, @Nullable String failure, @Nullable String reason, List<PageStep> steps) {

	static final String WAKING = "waking";

	static final String READY = "ready";

	static final String FAILED = "failed";

	/**
	 * The page for a wake whose latest event is {@code latest}.
	 * @param steps the steps, as the page lists them
	 * @param latest the latest event, {@code null} before the first
	 * @return the page's state
	 */
	static PageState of(List<StepDescription> steps, @Nullable OperationEvent latest) {
		String state = WAKING;
		if (latest != null && latest.kind() == OperationEvent.Kind.READY) {
			state = READY;
		}
		else if (latest != null && latest.kind() == OperationEvent.Kind.FAILURE) {
			state = FAILED;
		}
		boolean failed = FAILED.equals(state);
		return new PageState(state, failed ? latest.message() : null, failed ? EventData.of("", latest).reason() : null,
				stepStates(steps, latest, state));
	}

	/** Steps before the latest event's are done, as the page's script marks them. */
	private static List<PageStep> stepStates(List<StepDescription> steps, @Nullable OperationEvent latest,
			String state) {
		int current = -1;
		for (int i = 0; latest != null && i < steps.size(); i++) {
			if (steps.get(i).name().equals(latest.step())) {
				current = i;
			}
		}
		List<PageStep> states = new ArrayList<>();
		for (int i = 0; i < steps.size(); i++) {
			StepDescription step = steps.get(i);
			String stepState = "waiting";
			String detail = "";
			if (READY.equals(state) || i < current) {
				stepState = "done";
			}
			else if (i == current) {
				stepState = EventData.of("", latest).state();
				detail = FAILED.equals(stepState) ? "" : latest.message();
			}
			states.add(new PageStep(step.name(), step.description(), stepState, detail));
		}
		return List.copyOf(states);
	}

	/**
	 * One step as the page shows it.
	 *
	 * @param name the identifier events carry
	 * @param description what it does, for people
	 * @param state {@code waiting}, {@code running}, {@code done} or {@code failed}
	 * @param detail its latest message, while it runs
	 */
	record PageStep(String name, String description, String state, String detail) {

	}

}
