import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('renders the guest sign-in page of the demo portal', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Istio Rollouts demo portal' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(<App />);

    expect(await screen.findByText('Guest')).toBeInTheDocument();
  });
});
