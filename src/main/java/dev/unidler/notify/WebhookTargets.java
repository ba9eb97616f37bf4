package dev.unidler.notify;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.unidler.notify.WebhookTarget.EventType;
import dev.unidler.notify.WebhookTarget.Format;
import dev.unidler.notify.WebhookTarget.Outcome;
import dev.unidler.operation.OperationKind;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the targets file:
 *
 * <pre>
 * targets:
 *   - name: ci                       # in logs and metrics: [a-z0-9-], up to 63
 *     url: https://ci.example.com/hooks/unidler
 *     secret: "at least 16 characters"
 *     format: json                   # or slack
 *     events: [started, ended]       # started, step, ended
 *     kinds: [wake, idle, restart]
 *     outcomes: [succeeded, failed, abandoned]
 * </pre>
 *
 * Only plain YAML data is read (no tags, no objects). A problem is reported by the
 * target's name or place, never with its secret or URL.
 */
final class WebhookTargets {

	static final int MIN_SECRET = 16;

	private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	private static final Set<String> KEYS = Set.of("name", "url", "secret", "format", "events", "kinds", "outcomes");

	private WebhookTargets() {
	}

	/**
	 * The targets of a file.
	 * @param file the file
	 * @return its targets, in the file's order
	 * @throws WebhookFileException saying what is wrong
	 */
	static List<WebhookTarget> read(Path file) {
		Object root;
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
		}
		catch (IOException ex) {
			throw new WebhookFileException(file, "cannot be read (" + ex.getClass().getSimpleName() + ")", ex);
		}
		catch (RuntimeException ex) {
			// The parser's message quotes the file, secrets included: keep only its kind.
			throw new WebhookFileException(file, "is not valid YAML (" + ex.getClass().getSimpleName() + ")");
		}
		if (!(root instanceof Map<?, ?> top) || !(top.get("targets") instanceof List<?> entries)) {
			throw new WebhookFileException(file,
					"must hold a list 'targets' of {name, url, secret, format, " + "events, kinds, outcomes}");
		}
		List<WebhookTarget> targets = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (int i = 0; i < entries.size(); i++) {
			WebhookTarget target = target(file, i, entries.get(i));
			if (!names.add(target.name())) {
				throw new WebhookFileException(file, "target '" + target.name() + "' is listed twice");
			}
			targets.add(target);
		}
		return List.copyOf(targets);
	}

	private static WebhookTarget target(Path file, int index, Object entry) {
		String where = "target " + (index + 1);
		if (!(entry instanceof Map<?, ?> map)) {
			throw new WebhookFileException(file, where + " must be a map");
		}
		for (Object key : map.keySet()) {
			if (!KEYS.contains(String.valueOf(key))) {
				throw new WebhookFileException(file, where + ": unknown key '" + key + "'");
			}
		}
		String name = text(map.get("name"));
		if (name == null || !NAME.matcher(name).matches()) {
			throw new WebhookFileException(file,
					where + " needs a 'name' of lower-case letters, digits and '-' (up to 63)");
		}
		where = "target '" + name + "'";
		Format format = one(file, where, "format", map.get("format"), Format.class, Format.JSON);
		byte[] secret = secret(file, where, format, map.get("secret"));
		return new WebhookTarget(name, url(file, where, text(map.get("url"))), secret, format,
				set(file, where, "events", map.get("events"), EventType.class,
						EnumSet.of(EventType.STARTED, EventType.ENDED)),
				kinds(file, where, map.get("kinds")),
				set(file, where, "outcomes", map.get("outcomes"), Outcome.class, EnumSet.allOf(Outcome.class)));
	}

	/**
	 * Only {@code http} and {@code https}: they are what the receivers speak, their
	 * status codes say whether a delivery arrived, and no other scheme can make the
	 * unidler read a local file or speak another protocol to an internal service.
	 */
	private static URI url(Path file, String where, @Nullable String url) {
		if (url == null) {
			throw new WebhookFileException(file, where + " needs a 'url'");
		}
		URI uri;
		try {
			uri = new URI(url.strip());
		}
		catch (URISyntaxException ex) {
			throw new WebhookFileException(file, where + ": its 'url' is not a URL");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new WebhookFileException(file, where + ": its 'url' must be http or https");
		}
		if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
			throw new WebhookFileException(file,
					where + ": its 'url' needs a host, and may carry neither user info nor a fragment");
		}
		return uri;
	}

	private static byte @Nullable [] secret(Path file, String where, Format format, @Nullable Object value) {
		String secret = text(value);
		if (secret == null && format == Format.SLACK) {
			return null;
		}
		if (secret == null || secret.strip().length() < MIN_SECRET) {
			throw new WebhookFileException(file,
					where + " needs a 'secret' of at least " + MIN_SECRET + " characters to sign its deliveries");
		}
		return secret.strip().getBytes(StandardCharsets.UTF_8);
	}

	private static Set<OperationKind> kinds(Path file, String where, @Nullable Object value) {
		return parse(file, where, "kinds", value, EnumSet.allOf(OperationKind.class),
				(id) -> OperationKind.of(id).orElse(null), EnumSet.noneOf(OperationKind.class));
	}

	private static <E extends Enum<E>> Set<E> set(Path file, String where, String key, @Nullable Object value,
			Class<E> type, Set<E> otherwise) {
		return parse(file, where, key, value, otherwise, (id) -> constant(type, id), EnumSet.noneOf(type));
	}

	private static <E extends Enum<E>> Set<E> parse(Path file, String where, String key, @Nullable Object value,
			Set<E> otherwise, Function<String, @Nullable E> of, Set<E> into) {
		if (value == null) {
			return otherwise;
		}
		if (!(value instanceof List<?> list) || list.isEmpty()) {
			throw new WebhookFileException(file, where + ": '" + key + "' must be a list that is not empty");
		}
		for (Object item : list) {
			E parsed = of.apply(String.valueOf(item).strip().toLowerCase(Locale.ROOT));
			if (parsed == null) {
				throw new WebhookFileException(file, where + ": '" + key + "' has an unknown value '" + item + "'");
			}
			into.add(parsed);
		}
		return Set.copyOf(into);
	}

	private static <E extends Enum<E>> E one(Path file, String where, String key, @Nullable Object value, Class<E> type,
			E otherwise) {
		if (value == null) {
			return otherwise;
		}
		E parsed = constant(type, String.valueOf(value).strip().toLowerCase(Locale.ROOT));
		if (parsed == null) {
			throw new WebhookFileException(file, where + ": '" + key + "' must be one of "
					+ Arrays.stream(type.getEnumConstants()).map((e) -> e.name().toLowerCase(Locale.ROOT)).toList());
		}
		return parsed;
	}

	private static <E extends Enum<E>> @Nullable E constant(Class<E> type, String id) {
		return Arrays.stream(type.getEnumConstants())
			.filter((e) -> e.name().toLowerCase(Locale.ROOT).equals(id))
			.findFirst()
			.orElse(null);
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value instanceof String || value instanceof Number) ? value.toString() : null;
	}

}
