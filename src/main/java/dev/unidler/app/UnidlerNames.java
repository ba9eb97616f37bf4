package dev.unidler.app;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.unidler.UnidlerProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * What "the Service points at the unidler" means, everywhere: it is of type
 * {@code ExternalName} and its {@code externalName} is one of the unidler's own names
 * ({@code unidler.service.unidler-names}). An {@code ExternalName} Service to anything
 * else, a database outside the cluster say, is someone's on purpose and is never touched.
 */
@Component
public final class UnidlerNames {

	private final Set<String> names;

	private final String idledName;

	public UnidlerNames(UnidlerProperties properties) {
		this.idledName = normalise(properties.service().idledName());
		this.names = Stream.concat(properties.service().unidlerNames().stream(), Stream.of(this.idledName))
			.map(UnidlerNames::normalise)
			.filter((name) -> !name.isEmpty())
			.collect(Collectors.toUnmodifiableSet());
	}

	/** Whether the Service sends its traffic to the unidler. */
	public boolean pointsAtUnidler(ServiceState service) {
		return isExternalName(service) && service.externalName() != null
				&& this.names.contains(normalise(service.externalName()));
	}

	/** Whether the Service sends its traffic to a name outside, not the unidler. */
	public boolean pointsElsewhere(ServiceState service) {
		return isExternalName(service) && !pointsAtUnidler(service);
	}

	/**
	 * The name an idle points a Service at ({@code unidler.service.idled-name}): the
	 * unidler's own Service; always one of {@link #names()}.
	 */
	public String idledName() {
		return this.idledName;
	}

	public Set<String> names() {
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
