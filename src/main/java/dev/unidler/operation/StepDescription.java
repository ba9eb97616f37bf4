package dev.unidler.operation;

/**
 * A step as the waiting page lists it.
 *
 * @param name the identifier events carry
 * @param description what it does, for people
 */
public record StepDescription(String name, String description) {

	/** The first step of every operation: finding the app. */
	public static final StepDescription LOCATE = new StepDescription("locate", "Find the app");

}
