package dev.unidler.wake;

/**
 * A step as the waiting page lists it.
 *
 * @param name the identifier events carry
 * @param description what it does, for people
 */
public record StepDescription(String name, String description) {

}
