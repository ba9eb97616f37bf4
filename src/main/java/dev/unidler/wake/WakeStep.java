package dev.unidler.wake;

import dev.unidler.operation.Step;

/**
 * One step of a wake, on the app it found. Steps run in
 * {@link org.springframework.core.annotation.Order order}.
 */
interface WakeStep extends Step<App> {

}
