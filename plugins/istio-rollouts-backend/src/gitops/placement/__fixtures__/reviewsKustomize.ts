/**
 * A kustomize repository for `reviews` (bookinfo): a base and overlays that set the route's weights in each way
 * kustomize allows, plus overlays placement must refuse. As strings, so that no formatter ever touches them.
 */

const base = {
  'base/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - virtualservice.yaml
  - destinationrule.yaml
`,
  'base/virtualservice.yaml': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
    - reviews
  http:
    - name: reviews-route
      match:
        - uri:
            prefix: /reviews
      route:
        - destination:
            host: reviews
            subset: v1
            port:
              number: 9080
          weight: 100 # all on v1 until an overlay says otherwise
        - destination:
            host: reviews
            subset: v2
            port:
              number: 9080
          weight: 0
      timeout: 10s
`,
  'base/destinationrule.yaml': `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews
  subsets:
    - name: v1
      labels:
        version: v1
    - name: v2
      labels:
        version: v2
`,
};

/** The route of the strategic-merge overlay: `spec.http` replaced whole, weights 80/20. */
const weightsPatch = (v1: number, v2: number, comment: string) => `# ${comment}
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  http:
    - name: reviews-route
      match:
        - uri:
            prefix: /reviews
      route:
        - destination:
            host: reviews
            subset: v1
            port:
              number: 9080
          weight: ${v1}   # stable
        - destination:
            host: reviews
            subset: v2
            port:
              number: 9080
          weight: ${v2}   # canary
      timeout: 10s
`;

export const reviewsKustomize: Record<string, string> = {
  ...base,

  // A strategic-merge patch that sets the weights: the overlay's patch is where they live.
  'overlays/smp/kustomization.yaml': `resources:
  - ../../base
patches:
  - path: weights.yaml
`,
  'overlays/smp/weights.yaml': weightsPatch(
    80,
    20,
    'Production runs the canary at 20 %.',
  ),

  // A JSON 6902 patch that sets the weights: the operations' values are where they live.
  'overlays/json6902/kustomization.yaml': `resources:
  - ../../base
patches:
  - path: weights.yaml
    target:
      group: networking.istio.io
      version: v1
      kind: VirtualService
      name: reviews
`,
  'overlays/json6902/weights.yaml': `# Canary at 20 %.
- op: replace
  path: /spec/http/0/route/0/weight
  value: 80 # stable
- op: replace
  path: /spec/http/0/route/1/weight
  value: 20
`,

  // The legacy field, a JSON file, applied after the namespace field.
  'overlays/legacy/kustomization.yaml': `namespace: reviews-prod
resources:
  - ../../base
patchesJson6902:
  - target:
      group: networking.istio.io
      version: v1
      kind: VirtualService
      name: reviews
    path: weights.json
`,
  'overlays/legacy/weights.json': `[
  {"op": "replace", "path": "/spec/http/0/route/0/weight", "value": 80},
  {"op": "replace", "path": "/spec/http/0/route/1/weight", "value": 20}
]
`,

  // An overlay that patches something else: the weights live in the base.
  'overlays/base-only/kustomization.yaml': `resources:
  - ../../base
patchesStrategicMerge:
  - gateways.yaml
`,
  'overlays/base-only/gateways.yaml': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  gateways:
    - bookinfo-gateway
`,

  // kustomize's namespace field and a name prefix, and a patch selected by target.
  'overlays/prod/kustomization.yaml': `namespace: reviews-prod
namePrefix: prod-
resources:
  - ../../base
patches:
  - path: weights.yaml
    target:
      kind: VirtualService
      name: reviews
`,
  'overlays/prod/weights.yaml': `- op: replace
  path: /spec/http/0/route/1/weight
  value: 20
- op: replace
  path: /spec/http/0/route/0/weight
  value: 80
`,

  // Two patches of one overlay set the route: either could be "the" place.
  'overlays/two-patches/kustomization.yaml': `resources:
  - ../../base
patches:
  - path: weights-a.yaml
  - path: weights-b.yaml
`,
  'overlays/two-patches/weights-a.yaml': weightsPatch(90, 10, 'First try.'),
  'overlays/two-patches/weights-b.yaml': weightsPatch(80, 20, 'Second try.'),

  // An inline patch: its values are inside a string.
  'overlays/inline/kustomization.yaml': `resources:
  - ../../base
patches:
  - target:
      kind: VirtualService
      name: reviews
    patch: |-
      - op: replace
        path: /spec/http/0/route/0/weight
        value: 80
      - op: replace
        path: /spec/http/0/route/1/weight
        value: 20
`,

  // A remote base, and a Helm chart through kustomize.
  'overlays/remote/kustomization.yaml': `resources:
  - https://github.com/example/bookinfo//reviews?ref=v1
`,
  'overlays/helm/kustomization.yaml': `helmCharts:
  - name: reviews
    repo: https://charts.example.com
    version: 1.2.0
`,

  // A Helm chart synced directly.
  'chart/Chart.yaml': `apiVersion: v2
name: reviews
version: 1.2.0
`,
  'chart/templates/virtualservice.yaml': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: {{ .Release.Namespace }}
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: {host: reviews, subset: v1}
          weight: {{ .Values.stableWeight }}
`,
};
