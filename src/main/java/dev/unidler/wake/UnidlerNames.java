package dev.unidler.wake;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.ServiceState;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * What "the Service points at the unidler" means, everywhere: it is of type
 * {@code ExternalName} and its {@code externalName} is one of the unidler's own names
 * ({@code unidler.service.unidler-names}). An {@code ExternalName} Service to anything
 * else, a database outside the cluster say, is someone's on purpose and is never touched.
 */
@Component
final class UnidlerNames {

	private final Set<String> names;

	UnidlerNames(UnidlerProperties properties) {
		this.names = properties.service()
			.unidlerNames()
			.stream()
			.map(UnidlerNames::normalise)
			.filter((name) -> !name.isEmpty())
			.collect(Collectors.toUnmodifiableSet());
	}

	/** Whether the Service sends its traffic to the unidler. */
	boolean pointsAtUnidler(ServiceState service) {
		return isExternalName(service) && service.externalName() != null
				&& this.names.contains(normalise(service.externalName()));
	}

	/** Whether the Service sends its traffic to a name outside, not the unidler. */
	boolean pointsElsewhere(ServiceState service) {
		return isExternalName(service) && !pointsAtUnidler(service);
	}

	Set<String> names() {
		return this.names;
	}

	private static boolean isExternalName(ServiceState service) {
		return ServiceState.EXTERNAL_NAME.equals(service.type());
	}

	/** DNS names compare without case and without the root's trailing dot. */
	private static String normalise(@Nullable String name) {
		String lower = (name != null) ? name.strip().toLowerCase(Locale.ROOT) : "";
		return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
	}

}
