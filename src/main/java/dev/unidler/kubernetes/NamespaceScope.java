package dev.unidler.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where the unidler looks for apps: every namespace (one cluster-wide LIST, with a
 * ClusterRole), or only the namespaces it is given (one LIST in each, with a Role in
 * each), for teams that keep their apps in known namespaces.
 */
final class NamespaceScope {

	private final List<String> namespaces;

	private final BlockingCalls calls;

	/**
	 * @param namespaces the namespaces to look in; empty for all
	 * @param calls how blocking calls are made
	 */
	NamespaceScope(List<String> namespaces, BlockingCalls calls) {
		this.namespaces = List.copyOf(namespaces);
		this.calls = calls;
	}

	/**
	 * Lists objects in the scope.
	 * @param description what is listed, for the log
	 * @param inNamespace lists one namespace
	 * @param everywhere lists all namespaces at once
	 * @return the objects, from every namespace in scope
	 */
	<T> Mono<List<T>> list(String description, Function<String, Callable<List<T>>> inNamespace,
			Callable<List<T>> everywhere) {
		if (this.namespaces.isEmpty()) {
			return this.calls.call(description, everywhere);
		}
		return Flux.fromIterable(this.namespaces)
			.concatMap((namespace) -> this.calls.call(description + " in " + namespace, inNamespace.apply(namespace)))
			.collect(ArrayList<T>::new, List::addAll)
			.map(List::copyOf);
	}

}
