package dev.unidler.wake;

import java.util.ArrayList;
import java.util.List;

import dev.unidler.operation.StepDescription;

import org.springframework.stereotype.Component;

/**
 * The steps of a wake in the order they run, finding the app first.
 */
@Component
public final class WakeSteps {

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
		descriptions.add(StepDescription.LOCATE);
		this.steps.forEach((step) -> descriptions.add(new StepDescription(step.name(), step.description())));
		return List.copyOf(descriptions);
	}

}
