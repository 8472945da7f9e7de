// The app shell: product title and the Linux VM status line.
export function App() {
  return (
    <main>
      <h1>OpsLab</h1>
      <div data-testid="vm-status" role="status">
        Starting Linux…
      </div>
    </main>
  );
}
