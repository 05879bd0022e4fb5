/**
 * A plain manifest directory as Argo CD syncs it (gorilla-sfx-demo, blue/green by header), written the way people
 * write YAML: comments, a Service in the same file, flow mappings, quoted strings of both kinds, an indentless
 * list, a blank line between routes, and a stale copy in a subdirectory that only a recursive read sees.
 * As strings, so that no formatter ever touches them.
 */

/** The repository: path → text. */
export const gorillaPlain: Record<string, string> = {
  'README.md': `Manifests Argo CD syncs (plain directory).
`,
  'apps/gorilla/virtualservice.yaml': `# gorilla-sfx-demo: blue/green by header.
# Owned by Argo CD (app gorilla-east): change it through a pull request.
---
apiVersion: v1
kind: Service
metadata: { name: gorilla-sfx-demo, namespace: default }
spec:
  ports: [ { port: 9090, name: http } ]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
    name: gorilla-sfx-demo      # the rollout
    namespace: "default"
spec:
    hosts: [gorilla-sfx-demo]
    http:
    # testers send x-deploy: green
    -   name: "green-by-header"
        match:
          - headers:
              x-deploy: {exact: green}
        route:
          - destination:
              host: gorilla-sfx-demo
              subset: 'green'    # the idle side
              port: {number: 9090}

    - name: default
      route:
      - destination: {host: gorilla-sfx-demo, subset: blue, port: {number: 9090}}   # live
`,
  'apps/gorilla/destinationrule.yml': `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: gorilla-sfx-demo
  namespace: default
spec:
  host: gorilla-sfx-demo
  subsets:
    - name: blue
      labels: {version: blue}
    - name: green
      labels: {version: green}
`,
  'apps/gorilla/extra/old-virtualservice.yaml': `# A stale copy: Argo CD reads subdirectories only with directory.recurse.
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: gorilla-sfx-demo
  namespace: default
spec:
  hosts: [gorilla-sfx-demo]
  http:
    - route:
        - destination: {host: gorilla-sfx-demo, subset: blue}
`,
};

/** `apps/gorilla/virtualservice.yaml` after a switch: only the four values differ. */
export const gorillaPlainSwitched = `# gorilla-sfx-demo: blue/green by header.
# Owned by Argo CD (app gorilla-east): change it through a pull request.
---
apiVersion: v1
kind: Service
metadata: { name: gorilla-sfx-demo, namespace: default }
spec:
  ports: [ { port: 9090, name: http } ]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
    name: gorilla-sfx-demo      # the rollout
    namespace: "default"
spec:
    hosts: [gorilla-sfx-demo]
    http:
    # testers send x-deploy: green
    -   name: "blue-by-header"
        match:
          - headers:
              x-deploy: {exact: blue}
        route:
          - destination:
              host: gorilla-sfx-demo
              subset: 'blue'    # the idle side
              port: {number: 9090}

    - name: default
      route:
      - destination: {host: gorilla-sfx-demo, subset: green, port: {number: 9090}}   # live
`;
