package dev.unidler.wake;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * The steps of a wake in the order they run, finding the app first.
 */
@Component
public final class WakeSteps {

	static final String LOCATE = "locate";

	static final String LOCATE_DESCRIPTION = "Find the app";

	private final List<WakeStep> steps;

	WakeSteps(List<WakeStep> steps) {
		this.steps = List.copyOf(steps);
	}

	List<WakeStep> steps() {
		return this.steps;
	}

	/** Every step, as the page lists them. */
	public List<StepDescription> describe() {
		List<StepDescription> descriptions = new ArrayList<>();
		descriptions.add(new StepDescription(LOCATE, LOCATE_DESCRIPTION));
		this.steps.forEach((step) -> descriptions.add(new StepDescription(step.name(), step.description())));
		return List.copyOf(descriptions);
	}

}
